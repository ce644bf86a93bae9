from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0008_refund_method"),
    ]

    operations = [
        migrations.AddField(
            model_name="quota",
            name="for_subscriptions",
            field=models.BooleanField(
                default=False, verbose_name="kept for subscriptions"
            ),
        ),
        migrations.AddField(
            model_name="hold",
            name="unit_price",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True
            ),
        ),
    ]
